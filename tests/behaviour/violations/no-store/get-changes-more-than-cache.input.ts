import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const response = await fetch(`${BRAIN_API_URL}/api/billing/invoices/?page=${request.nextUrl.searchParams.get('page')}`)
  return NextResponse.json(await response.json())
}
