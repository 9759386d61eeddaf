import { NextRequest, NextResponse } from 'next/server'
import { cookies } from 'next/headers'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const token = cookies().get('brain_token')?.value
  const headers: HeadersInit = {}
  if (session?.access_token) {
    headers['Authorization'] = `Bearer ${session.access_token}`
  } else if (request.headers.get('authorization')) {
    headers['Authorization'] = request.headers.get('authorization')!
  }

  const response = await fetch(`${BRAIN_API_URL}/api/orders/`, {
    headers,
  })
  return NextResponse.json(await response.json())
}
