import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function PATCH(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const response = await fetch(`${BRAIN_API_URL}/api/orders/7/`, {
    method: 'PATCH',
    headers: { 'Authorization': request.headers.get('authorization') || '' },
    body: await request.text(),
  })
  return NextResponse.json(await response.json(), { status: response.status })
}
